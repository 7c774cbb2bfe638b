package dev.parley.runtime.chatbot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ShareLinksTest {

    @Test
    void linkIsTheDigitsWithoutPlus() {
        assertEquals("https://wa.me/491701234567", ShareLinks.waMeLink("+491701234567", null));
        assertEquals("https://wa.me/491701234567", ShareLinks.waMeLink("+49 (170) 123-45.67", "  "));
        assertEquals("https://wa.me/441234567890", ShareLinks.waMeLink("00441234567890", ""));
    }

    @Test
    void prefilledTextIsPercentEncodedWithSpacesAsPercent20() {
        assertEquals("https://wa.me/491701234567?text=Hallo%20Parley%21%20M%C3%BCnchen%20%2B%20%26%3D%3F",
                ShareLinks.waMeLink("+491701234567", "Hallo Parley! München + &=?"));
    }

    @Test
    void refusesSendersThatAreNotPhoneNumbers() {
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class,
                () -> ShareLinks.waMeLink("InfoSMS", "hi"));
        assertTrue(alpha.getMessage().contains("not a phone number"), alpha.getMessage());
        assertTrue(alpha.getMessage().contains("alphanumeric sender ids cannot be used with wa.me"),
                alpha.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.waMeLink("Shop24", null));
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.waMeLink("+12", null), "too short");
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.waMeLink("+1234567890123456", null),
                "longer than E.164 allows");
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.waMeLink("", null));
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.waMeLink(null, null));
    }

    @Test
    void qrPngHasTheRequestedSizeAndDecodesToTheContent() throws Exception {
        String link = ShareLinks.waMeLink("+491701234567", "Hallo, ich brauche Hilfe mit meiner Bestellung");
        for (int size : new int[] {128, 300, 512, 1024}) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(ShareLinks.qrPng(link, size)));
            assertEquals(size, image.getWidth());
            assertEquals(size, image.getHeight());
            assertEquals(link, decode(image), "size " + size);
        }
    }

    @Test
    void qrSizeIsClamped() throws Exception {
        assertEquals(128, ImageIO.read(new ByteArrayInputStream(ShareLinks.qrPng("hi", 10))).getWidth());
        assertEquals(1024, ImageIO.read(new ByteArrayInputStream(ShareLinks.qrPng("hi", 5000))).getWidth());
    }

    @Test
    void qrRefusesContentThatDoesNotFit() {
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.qrPng("", 256));
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.qrPng("x".repeat(2000), 128),
                "needs more modules than pixels");
        assertThrows(IllegalArgumentException.class, () -> ShareLinks.qrPng("x".repeat(5000), 1024),
                "beyond QR version 40");
    }

    private static String decode(BufferedImage image) throws Exception {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        LuminanceSource source = new RGBLuminanceSource(width, height, argb);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
