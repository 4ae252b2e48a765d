# ingest_api: the IngestService handler, its gRPC adapter and the server
# lifecycle; ingest_service: the thin main that wires them from flags.
add_library(ingest_api STATIC ingest_handler.cc ingest_grpc_service.cc ingest_server.cc)
target_include_directories(ingest_api PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(ingest_api PUBLIC extract gazetteer outbox server_support rpc_status
                      status_util newsevents_proto gRPC::grpc++)

add_executable(ingest_service main.cc)
target_link_libraries(ingest_service PRIVATE ingest_api absl::flags absl::flags_parse
                      absl::flags_usage)
install(TARGETS ingest_service RUNTIME DESTINATION bin)
