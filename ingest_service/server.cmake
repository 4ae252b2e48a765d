# ingest_api: the IngestService handler, its gRPC adapter and the server
# lifecycle; ingest_service: the thin main that wires them from flags.
newsevents_library(ingest_api ingest_handler.cc ingest_grpc_service.cc ingest_server.cc)
target_link_libraries(newsevents_ingest_api PUBLIC newsevents::extract
                      newsevents::gazetteer newsevents::outbox newsevents::server_support
                      newsevents::auth
                      newsevents::rpc_status newsevents::status newsevents::proto
                      gRPC::grpc++)

newsevents_executable(ingest_service main.cc)
target_link_libraries(ingest_service PRIVATE newsevents::ingest_api newsevents::tls_flags
                      newsevents::auth_flags absl::flags absl::flags_parse
                      absl::flags_usage)
install(TARGETS ingest_service RUNTIME DESTINATION bin)
