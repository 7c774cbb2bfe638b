package dev.parley.runtime.chatbot;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Ways for a customer to start a chat with a WhatsApp bot: a {@code wa.me} click-to-chat link and a QR code
 * of it, for web pages, e-mails and print.
 *
 * <p>The PNG is drawn straight into an image raster (no {@code Graphics2D}, no ZXing {@code javase}), so it
 * needs no display and no extra dependency beyond {@code zxing:core}.
 */
public final class ShareLinks {

    /** Smallest and largest QR image edge, in pixels; requests outside are clamped. */
    public static final int MIN_QR_PX = 128;
    public static final int MAX_QR_PX = 1024;

    /** Quiet zone in modules: the spec asks for 4, but 2 scans reliably and leaves more room for the code. */
    private static final int QR_MARGIN_MODULES = 2;

    /** Separators people write inside phone numbers; anything else that is not a digit is refused. */
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-]");
    /** E.164: at most 15 digits, no leading zero; 7 is the shortest real-world subscriber number with its country code. */
    private static final Pattern E164_DIGITS = Pattern.compile("[1-9]\\d{6,14}");

    private ShareLinks() {
    }

    /**
     * A click-to-chat link, {@code https://wa.me/<digits>} plus {@code ?text=...} when {@code prefilledText}
     * is not blank. Spaces become {@code %20} (WhatsApp shows a literal {@code +} otherwise on some clients).
     *
     * @param senderE164    the bot's WhatsApp number, e.g. {@code +49 170 1234567}; spaces, dashes, dots and
     *                      parentheses are ignored
     * @param prefilledText the message the customer's WhatsApp proposes to send, or {@code null}
     * @throws IllegalArgumentException when the sender is not a phone number, e.g. an alphanumeric sender id
     */
    public static String waMeLink(String senderE164, String prefilledText) {
        String link = "https://wa.me/" + phoneDigits(senderE164);
        if (prefilledText == null || prefilledText.isBlank()) {
            return link;
        }
        // URLEncoder does form encoding: a literal '+' comes out as %2B, so every '+' left is a space.
        return link + "?text=" + URLEncoder.encode(prefilledText, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String phoneDigits(String sender) {
        if (sender == null || sender.isBlank()) {
            throw new IllegalArgumentException("The sender is missing: wa.me links need the bot's phone number "
                    + "in international format, e.g. +491701234567");
        }
        String digits = PHONE_SEPARATORS.matcher(sender.strip()).replaceAll("");
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        } else if (digits.startsWith("00")) {
            digits = digits.substring(2);
        }
        if (!E164_DIGITS.matcher(digits).matches()) {
            boolean alphanumeric = digits.chars().anyMatch(Character::isLetter);
            throw new IllegalArgumentException("The sender '" + sender + "' is not a phone number"
                    + (alphanumeric ? " (alphanumeric sender ids cannot be used with wa.me)" : "")
                    + ": wa.me links need the bot's phone number in international format, e.g. +491701234567");
        }
        return digits;
    }

    /**
     * A QR code of {@code content} as a PNG of {@code sizePx} x {@code sizePx} pixels (clamped to
     * {@value #MIN_QR_PX}..{@value #MAX_QR_PX}), UTF-8, error correction M: about 15% of the code may
     * be smudged or covered and it still scans, without making the code as dense as Q or H would.
     *
     * <p>Modules are whole pixels so the code stays sharp; the remainder of the edge becomes extra white border.
     *
     * @throws IllegalArgumentException when the content is empty or too long to fit the image at one pixel
     *                                  per module
     */
    public static byte[] qrPng(String content, int sizePx) {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("A QR code needs content, e.g. a wa.me link");
        }
        int size = Math.max(MIN_QR_PX, Math.min(MAX_QR_PX, sizePx));
        BitMatrix modules = encode(content);
        int moduleCount = modules.getWidth();
        int scale = size / moduleCount;
        if (scale < 1) {
            throw new IllegalArgumentException("The content (" + content.length() + " characters) needs "
                    + moduleCount + " QR modules, more than a " + size + " px image can show; use a larger size "
                    + "or shorter content");
        }
        int offset = (size - moduleCount * scale) / 2;

        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster raster = image.getRaster();
        int[] whiteRow = new int[size];
        Arrays.fill(whiteRow, 1); // in a binary image sample 1 is white
        for (int y = 0; y < size; y++) {
            raster.setSamples(0, y, size, 1, 0, whiteRow);
        }
        int[] blackModule = new int[scale * scale];
        for (int my = 0; my < moduleCount; my++) {
            for (int mx = 0; mx < moduleCount; mx++) {
                if (modules.get(mx, my)) {
                    raster.setSamples(offset + mx * scale, offset + my * scale, scale, scale, 0, blackModule);
                }
            }
        }
        return png(image);
    }

    /** The code at one pixel per module, quiet zone included. */
    private static BitMatrix encode(String content) {
        Map<EncodeHintType, Object> hints = Map.of(
                EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                EncodeHintType.MARGIN, QR_MARGIN_MODULES,
                EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        try {
            // Width and height 0 ask for the natural size; scaling is done here so modules stay whole pixels.
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("The content (" + content.length()
                    + " characters) does not fit in a QR code: " + e.getMessage(), e);
        }
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("No PNG writer in this JRE");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }
}
