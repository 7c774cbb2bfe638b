package dev.parley.runtime.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCipherTest {

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void sealsWithNonceAndOpensOnlyInItsOwnRow() {
        SecretsCipher c = new SecretsCipher(key(1), List.of());
        String a = c.encrypt("zd-signing-secret", "row-1");
        String b = c.encrypt("zd-signing-secret", "row-1");
        assertTrue(a.startsWith("enc:v1:" + c.currentKeyId() + ":"));
        assertFalse(a.contains("zd-signing-secret"));
        assertNotEquals(a, b, "a fresh nonce each time");
        assertEquals(Optional.of("zd-signing-secret"), c.decrypt(a, "row-1"));
        assertEquals(Optional.empty(), c.decrypt(a, "row-2"), "moved to another row: the tag fails");
    }

    @Test
    void alteredOrForeignValuesDoNotOpen() {
        SecretsCipher c = new SecretsCipher(key(1), List.of());
        String sealed = c.encrypt("s", "ctx");
        char[] chars = sealed.toCharArray();
        int i = chars.length - 3;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        assertEquals(Optional.empty(), c.decrypt(new String(chars), "ctx"));
        assertEquals(Optional.empty(), new SecretsCipher(key(2), List.of()).decrypt(sealed, "ctx"), "another key");
        assertEquals(Optional.empty(), c.decrypt("enc:v1:", "ctx"));
        assertEquals(Optional.empty(), c.decrypt("enc:v1:" + c.currentKeyId() + ":%%%", "ctx"));
        assertEquals(Optional.empty(), c.decrypt("enc:v1:" + c.currentKeyId() + ":AAAA", "ctx"));
        assertEquals(Optional.empty(), c.decrypt("plain text", "ctx"));
    }

    @Test
    void rotationReadsOldKeysAndRewrapsWithTheNewOne() {
        SecretsCipher old = new SecretsCipher(key(1), List.of());
        String sealedOld = old.encrypt("s3", "ctx");
        SecretsCipher rotated = new SecretsCipher(key(2), List.of(key(1)));
        assertEquals(Optional.of("s3"), rotated.decrypt(sealedOld, "ctx"));
        assertTrue(rotated.needsRewrap(sealedOld));
        String sealedNew = rotated.encrypt("s3", "ctx");
        assertFalse(rotated.needsRewrap(sealedNew));
        assertTrue(rotated.needsRewrap("clear-text"));
        assertEquals(Optional.of(old.currentKeyId()), SecretsCipher.keyIdOf(sealedOld));
    }

    @Test
    void keysComeFromConfigurationOrAFileAndEveryProblemNamesTheProperty(@TempDir Path dir) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(key(7));
        SecretsKeys.Result r = SecretsKeys.load(b64, null, null);
        assertNull(r.problem());
        assertTrue(r.available().isPresent());

        Path file = dir.resolve("parley-key");
        Files.writeString(file, b64 + "\n", StandardCharsets.UTF_8);
        assertEquals(r.cipher().currentKeyId(), SecretsKeys.load(null, file.toString(), null).cipher().currentKeyId());

        assertTrue(SecretsKeys.load(null, null, null).problem().contains("parley.secrets.key"));
        assertTrue(SecretsKeys.load("c2hvcnQ=", null, null).problem().contains("parley.secrets.key is not Base64"));
        assertTrue(SecretsKeys.load(null, dir.resolve("none").toString(), null).problem().contains("parley.secrets.key-file"));
        assertTrue(SecretsKeys.load(b64, null, "nope").problem().contains("parley.secrets.previous-keys"));
        assertFalse(SecretsKeys.load("c2hvcnQ=", null, null).problem().contains("c2hvcnQ="), "the value is not echoed");
    }

    @Test
    void derivedKeysAreHmacOfEachKeyCurrentFirstAndDependOnTheLabel() throws Exception {
        SecretsCipher c = new SecretsCipher(key(1), List.of(key(2)));
        List<byte[]> links = c.derivedKeys("parley media links v1");
        assertEquals(2, links.size());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key(1), "HmacSHA256"));
        assertTrue(java.util.Arrays.equals(mac.doFinal("parley media links v1".getBytes(StandardCharsets.UTF_8)), links.get(0)));
        mac.init(new javax.crypto.spec.SecretKeySpec(key(2), "HmacSHA256"));
        assertTrue(java.util.Arrays.equals(mac.doFinal("parley media links v1".getBytes(StandardCharsets.UTF_8)), links.get(1)));
        assertFalse(java.util.Arrays.equals(links.get(0), c.derivedKeys("another purpose").get(0)));
        assertFalse(java.util.Arrays.equals(links.get(0), key(1)), "not the key itself");
    }
}
