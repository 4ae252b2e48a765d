# query_api: the QueryService adapter and the server lifecycle;
# query_service: the thin main that wires them from flags.
newsevents_library(query_api query_grpc_service.cc query_server.cc internal_listen.cc)
target_link_libraries(newsevents_query_api PUBLIC newsevents::query_handler newsevents::sink
                      newsevents::server_support newsevents::auth newsevents::rpc_status
                      newsevents::status newsevents::proto gRPC::grpc++)

newsevents_executable(query_service main.cc)
target_link_libraries(query_service PRIVATE newsevents::query_api newsevents::tls_flags
                      newsevents::auth_flags absl::flags absl::flags_parse
                      absl::flags_usage)
install(TARGETS query_service RUNTIME DESTINATION bin)
