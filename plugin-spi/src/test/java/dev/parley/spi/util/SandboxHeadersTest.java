package dev.parley.spi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.spi.SandboxApi;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxHeadersTest {

    @Test
    void theSandboxsCredentialsReplaceEveryAuthorizationWhateverItsCaseAndTheRestStays() {
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("authorization", List.of("Basic YWRtaW46c2VjcmV0"));
        in.put("AUTHORIZATION", List.of("Bearer other"));
        in.put("Content-Type", List.of("application/json"));
        in.put("Accept", List.of("a", "b"));

        Map<String, List<String>> out = SandboxHeaders.withAuthorization(in, "App sandbox-key");

        assertEquals(Map.of("Authorization", List.of("App sandbox-key"), "Content-Type", List.of("application/json"),
                "Accept", List.of("a", "b")), out);
        assertEquals(List.of("Basic YWRtaW46c2VjcmV0"), in.get("authorization"), "the caller's map is not changed");
        assertEquals(Map.of("Authorization", List.of("App k")), SandboxHeaders.withAuthorization(null, "App k"));
    }

    @Test
    void basicIsUserColonPasswordInBase64() {
        String header = SandboxHeaders.basic("bot@acme.example/token", "tök");
        assertEquals("bot@acme.example/token:tök",
                new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8));
    }

    @Test
    void aSandboxWithoutAConsoleAnswers404() {
        SandboxApi bare = (method, path, headers, body) -> new SandboxApi.SandboxResponse(200, "{}");
        SandboxApi.SandboxResponse r = bare.handleForAdmin("GET", "/messages", Map.of(), new byte[0]);
        assertEquals(404, r.status());
        assertEquals("{\"error\":\"this sandbox has no console\"}", r.json());
    }
}
