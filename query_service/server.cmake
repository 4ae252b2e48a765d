# query_api: the QueryService adapter and the server lifecycle;
# query_service: the thin main that wires them from flags.
add_library(query_api STATIC query_grpc_service.cc query_server.cc)
target_include_directories(query_api PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(query_api PUBLIC query_handler sink server_support rpc_status status_util
                      newsevents_proto gRPC::grpc++)

add_executable(query_service main.cc)
target_link_libraries(query_service PRIVATE query_api absl::flags absl::flags_parse
                      absl::flags_usage)
install(TARGETS query_service RUNTIME DESTINATION bin)
