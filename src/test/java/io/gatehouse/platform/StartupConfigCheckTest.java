package io.gatehouse.platform;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupConfigCheckTest {

    private static final String KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=";
    private static final String TOKEN = "a-long-enough-admin-token";

    private static List<String> problems(String publicUrl, String adminToken, String masterKey) {
        return StartupConfigCheck.problems(publicUrl, Optional.ofNullable(adminToken), Optional.ofNullable(masterKey));
    }

    @Test
    void completeConfigHasNoProblems() {
        assertEquals(List.of(), problems("https://auth.example.com", TOKEN, KEY));
    }

    @Test
    void missingMasterKey() {
        List<String> problems = problems("https://auth.example.com", TOKEN, null);
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("GATEHOUSE_MASTER_KEY"));
    }

    @Test
    void masterKeyOfTheWrongLength() {
        List<String> problems = problems("https://auth.example.com", TOKEN, "c2hvcnQ=");
        assertEquals(List.of("GATEHOUSE_MASTER_KEY (gatehouse.master-key) must be base64 of exactly 32 bytes"), problems);
    }

    @Test
    void masterKeyThatIsNotBase64() {
        assertEquals(1, problems("https://auth.example.com", TOKEN, "not base64 at all!").size());
    }

    @Test
    void missingAdminToken() {
        List<String> problems = problems("https://auth.example.com", null, KEY);
        assertEquals(List.of("GATEHOUSE_ADMIN_TOKEN (gatehouse.admin-token) is not set"), problems);
    }

    @Test
    void shortAdminToken() {
        assertEquals(1, problems("https://auth.example.com", "short", KEY).size());
    }

    @Test
    void adminTokenGivenAsItsHash() {
        assertEquals(List.of(), problems("https://auth.example.com", "sha256:" + "ab".repeat(32), KEY));
    }

    @Test
    void relativePublicUrl() {
        assertEquals(1, problems("auth.example.com", TOKEN, KEY).size());
    }
}
