package dev.parley.runtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MediaPolicyTest {

    // ---- file names --------------------------------------------------------------------------------------

    @Test
    void aFileNameLosesItsPathAndControlCharacters() {
        assertEquals("photo.jpg", MediaPolicy.fileName("photo.jpg"));
        assertEquals("passwd", MediaPolicy.fileName("../../etc/passwd"));
        assertEquals("evil.exe", MediaPolicy.fileName("C:\\Users\\x\\evil.exe"));
        assertEquals("a.pdf", MediaPolicy.fileName("dir/sub\\a.pdf"));
        assertEquals("report.pdf", MediaPolicy.fileName("re\r\nport\u0000.pdf"));
        assertEquals("Set-Cookie x.txt", MediaPolicy.fileName("Set-Cookie\u0007 x.txt"));
        // A right-to-left override would show "invoice_fdp.exe" as "invoice_exe.pdf".
        assertEquals("invoice_fdp.exe", MediaPolicy.fileName("invoice_\u202Efdp.exe"));
        assertEquals("rapport été.pdf", MediaPolicy.fileName("  rapport été.pdf  "));
        assertEquals("文件.docx", MediaPolicy.fileName("文件.docx"));
    }

    @Test
    void nothingLeftMeansNoName() {
        assertNull(MediaPolicy.fileName(null));
        assertNull(MediaPolicy.fileName(""));
        assertNull(MediaPolicy.fileName("   "));
        assertNull(MediaPolicy.fileName("a/b/"));
        assertNull(MediaPolicy.fileName(".."));
        assertNull(MediaPolicy.fileName("."));
        assertNull(MediaPolicy.fileName("\r\n\t"));
        assertEquals(".profile", MediaPolicy.fileName(".profile"));
    }

    @Test
    void aLongNameIsCutToTheColumnWithoutSplittingACharacter() {
        String name = MediaPolicy.fileName("x".repeat(500) + ".jpg");
        assertEquals(MediaPolicy.MAX_FILE_NAME, name.length());
        // 199 ASCII characters, then an emoji (two UTF-16 units) across the limit: it goes whole.
        String cut = MediaPolicy.fileName("y".repeat(199) + "\uD83D\uDE00" + "z.png");
        assertEquals("y".repeat(199), cut);
        assertEquals(200, MediaPolicy.fileName("y".repeat(198) + "\uD83D\uDE00" + "z.png").length());
    }

    // ---- content types ------------------------------------------------------------------------------------

    @Test
    void picturesSoundAndVideoAreServedInlineAsThemselves() {
        for (String t : new String[] {"image/jpeg", "image/png", "image/webp", "audio/ogg", "video/mp4", "audio/aac"}) {
            assertEquals(new MediaPolicy.Serving(t, true), MediaPolicy.serving(t), t);
        }
        assertEquals(new MediaPolicy.Serving("audio/ogg", true), MediaPolicy.serving("audio/ogg; codecs=opus"), "parameters dropped");
        assertEquals(new MediaPolicy.Serving("image/jpeg", true), MediaPolicy.serving(" IMAGE/JPEG "), "normalised");
    }

    @Test
    void whatABrowserWouldRunOrCannotBeToldIsAnOctetStreamAttachment() {
        for (String t : new String[] {"text/html", "text/html; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
                "text/xml", "application/xml", "application/javascript", "text/javascript", "application/x-shockwave-flash",
                "application/octet-stream", "image/x-made-up", "multipart/x-mixed-replace", "text/html\r\nX-Injected: 1",
                "nonsense", "", "/", "image/", "../../x", "text/plain/x"}) {
            assertEquals(new MediaPolicy.Serving(MediaPolicy.OCTET_STREAM, false), MediaPolicy.serving(t), t);
        }
        assertEquals(new MediaPolicy.Serving(MediaPolicy.OCTET_STREAM, false), MediaPolicy.serving(null));
    }

    @Test
    void documentsAreDownloadedAsThemselves() {
        assertEquals(new MediaPolicy.Serving("text/plain", false), MediaPolicy.serving("text/plain; charset=utf-8"));
        // Chromium's PDF viewer does not open under the CSP sandbox the files are served with: downloaded instead
        assertEquals(new MediaPolicy.Serving("application/pdf", false), MediaPolicy.serving("application/pdf"));
        String docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assertEquals(new MediaPolicy.Serving(docx, false), MediaPolicy.serving(docx));
    }

    @Test
    void theDeclaredTypeIsKeptAsSaidButBounded() {
        assertEquals("image/svg+xml", MediaPolicy.storedType("image/svg+xml"));
        assertEquals("audio/ogg; codecs=opus", MediaPolicy.storedType("audio/ogg; codecs=opus"));
        assertEquals("application/octet-stream", MediaPolicy.storedType(null));
        assertEquals("application/octet-stream", MediaPolicy.storedType(" "));
        assertEquals("text/htmlX-Evil: 1", MediaPolicy.storedType("text/html\r\nX-Evil: 1"));
        assertEquals(MediaPolicy.MAX_CONTENT_TYPE, MediaPolicy.storedType("a/" + "b".repeat(400)).length());
    }

    // ---- Content-Disposition ------------------------------------------------------------------------------

    @Test
    void theDispositionCarriesAnAsciiFallbackAndTheExactNameInRfc5987() {
        assertEquals("inline; filename=\"photo.jpg\"; filename*=UTF-8''photo.jpg", MediaPolicy.contentDisposition(true, "photo.jpg"));
        assertEquals("attachment; filename=\"r_sum_ 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf",
                MediaPolicy.contentDisposition(false, "résumé 2026.pdf"));
        assertEquals("attachment; filename=\"a_b_c_d.txt\"; filename*=UTF-8''a%22b%5Cc%25d.txt",
                MediaPolicy.contentDisposition(false, "a\"b\\c%d.txt"));
        assertEquals("attachment; filename=\"x;y=z.txt\"; filename*=UTF-8''x%3By%3Dz.txt",
                MediaPolicy.contentDisposition(false, "x;y=z.txt"), "inside quotes a ; is harmless; encoded in filename*");
        assertEquals("inline", MediaPolicy.contentDisposition(true, null));
        assertEquals("attachment", MediaPolicy.contentDisposition(false, null));
    }

    @Test
    void rfc5987KeepsOnlyAttrChars() {
        String all = MediaPolicy.rfc5987("aZ09!#$&+-.^_`|~ '()*,/:;<=>?@[]{}\u00e9");
        assertEquals("aZ09!#$&+-.^_`|~%20%27%28%29%2A%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5D%7B%7D%C3%A9", all);
        assertTrue(all.chars().allMatch(c -> c < 0x7f && c > 0x20));
        assertFalse(all.contains("\""));
    }
}
