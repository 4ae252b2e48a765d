# Cross-process tests: both services started as real processes on port 0
# (testing/running_services.h).

# Heavy cases (LONG, the ctest label "long"): 2,000 watchers; 10,000
# articles with kill -9. They run once in .ci/run, not under the sanitizers.
set(long_end_to_end_test "EndToEndTest.ManyWatchersAllReceiveANewEvent")
set(long_delivery_crash_test "DeliveryCrash.QueryServiceKilledRepeatedlyDuring10000Articles")
foreach(name end_to_end_test reflection_test health_test delivery_crash_test
             internal_listener_test malformed_messages_test)
  set(long "")
  if(DEFINED long_${name})
    set(long LONG ${long_${name}})
  endif()
  newsevents_test(${name} newsevents::test_support newsevents::test_protos
                  newsevents::proto newsevents::status ${long})
  # The binaries under test must be built first.
  add_dependencies(${name} ingest_service query_service)
endforeach()
# Memory figures mean nothing under AddressSanitizer; the test skips there.
if(NEWSEVENTS_SANITIZE)
  target_compile_definitions(end_to_end_test PRIVATE NEWSEVENTS_SANITIZED=1)
endif()

# TLS and mTLS handshakes between real processes, certificates from
# deploy/make_certs.sh.
newsevents_test(tls_end_to_end_test newsevents::test_support newsevents::tls
                newsevents::proto newsevents::status)
add_dependencies(tls_end_to_end_test ingest_service query_service)

# Tokens, scopes, reload and per-client limits between real processes.
newsevents_test(auth_end_to_end_test newsevents::test_support
                newsevents::test_protos newsevents::auth newsevents::proto)
add_dependencies(auth_end_to_end_test ingest_service query_service)

# The docs/api.md walkthrough, executed with buf curl (an independent client
# that speaks reflection) against real services. Skipped without buf.
add_test(NAME api_walkthrough_test
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/api_walkthrough_test.sh ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR})
set_tests_properties(api_walkthrough_test PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# The docs/security.md setup (make_certs.sh, both services with mTLS, buf curl
# and newsevents_client over TLS, certificate rotation), executed as written.
# Skipped without buf.
add_test(NAME security_walkthrough_test
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/security_walkthrough_test.sh ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR} ${NEWSEVENTS_NODE_MODULES})
set_tests_properties(security_walkthrough_test PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
