# Cross-process tests: both services started as real processes on port 0.

# Client stubs the tests need beyond the API: server reflection (v1alpha, the
# version gRPC 1.51 serves) and the health service's generated stub (its
# messages are already in newsevents_proto).
set(TEST_GEN ${CMAKE_CURRENT_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${TEST_GEN})
set(TEST_PROTO_SOURCES
  ${TEST_GEN}/grpc/reflection/v1alpha/reflection.pb.cc
  ${TEST_GEN}/grpc/reflection/v1alpha/reflection.grpc.pb.cc
  ${TEST_GEN}/grpc/health/v1/health.grpc.pb.cc)
add_custom_command(
  OUTPUT ${TEST_PROTO_SOURCES}
  COMMAND protobuf::protoc -I /usr/share/grpc-proto --cpp_out=${TEST_GEN}
          grpc/reflection/v1alpha/reflection.proto
  COMMAND protobuf::protoc -I /usr/share/grpc-proto --grpc_out=${TEST_GEN}
          --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>
          grpc/reflection/v1alpha/reflection.proto grpc/health/v1/health.proto
  DEPENDS protobuf::protoc gRPC::grpc_cpp_plugin
  COMMENT "Generating reflection and health client stubs for tests"
  VERBATIM)
add_library(test_protos STATIC ${TEST_PROTO_SOURCES})
target_include_directories(test_protos SYSTEM PUBLIC ${TEST_GEN})
target_link_libraries(test_protos PUBLIC newsevents_proto gRPC::grpc++)
target_compile_options(test_protos PRIVATE -w)

add_library(test_support STATIC support/subprocess.cc support/running_services.cc)
target_include_directories(test_support PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(test_support PUBLIC newsevents_test_directories gRPC::grpc++
                      newsevents_proto absl::status
                      absl::statusor absl::strings absl::time)

foreach(name end_to_end_test reflection_test health_test delivery_crash_test)
  newsevents_test(${name} test_support test_protos newsevents_proto status_util)
  # The binaries under test must be built first.
  add_dependencies(${name} ingest_service query_service)
endforeach()

# The docs/api.md walkthrough, executed with buf curl (an independent client
# that speaks reflection) against real services. Skipped without buf.
add_test(NAME api_walkthrough_test
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/api_walkthrough_test.sh ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR})
set_tests_properties(api_walkthrough_test PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
