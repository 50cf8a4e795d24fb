package org.imgfn.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Images made in the test, in the formats and layouts the shared set does not cover. */
final class TestImages {
    private TestImages() {}

    /** A smooth colour gradient, photo-like enough for lossy codecs to keep close to. */
    static BufferedImage gradient(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / width;
                int g = 255 * y / height;
                int b = 128;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] progressiveJpeg(BufferedImage image) {
        return jpeg(image, param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT), (writer, param) -> null);
    }

    /** What the JPEG writer is to say of an image beyond its pixels; null for its defaults. */
    private interface Metadata {
        IIOMetadata of(ImageWriter writer, ImageWriteParam param) throws IOException;
    }

    private static byte[] jpeg(BufferedImage image, Consumer<ImageWriteParam> settings, Metadata metadata) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            settings.accept(param);
            writer.write(null, new IIOImage(image, null, metadata.of(writer, param)), param);
            stream.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * A JPEG that stores R, G and B rather than YCbCr, saying so by an Adobe segment with transform 0 or,
     * with none (and no JFIF segment), by its components' ids 'R', 'G', 'B'.
     */
    static byte[] rgbJpeg(BufferedImage image, boolean adobeSegment) {
        return jpeg(image, param -> { }, (writer, param) -> rgbMetadata(writer, param, image, adobeSegment));
    }

    private static IIOMetadata rgbMetadata(ImageWriter writer, ImageWriteParam param, BufferedImage image,
            boolean adobeSegment) throws IOException {
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        Node variety = root.getElementsByTagName("JPEGvariety").item(0);
        while (variety.hasChildNodes()) {
            variety.removeChild(variety.getFirstChild());
        }
        if (adobeSegment) {
            IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
            adobe.setAttribute("version", "101");
            adobe.setAttribute("flags0", "0");
            adobe.setAttribute("flags1", "0");
            adobe.setAttribute("transform", "0");
            Node markers = root.getElementsByTagName("markerSequence").item(0);
            markers.insertBefore(adobe, markers.getFirstChild());
        } else {
            NodeList components = root.getElementsByTagName("componentSpec");
            String[] ids = {"82", "71", "66"};
            for (int i = 0; i < ids.length; i++) {
                ((IIOMetadataNode) components.item(i)).setAttribute("componentId", ids[i]);
            }
        }
        metadata.setFromTree(format, root);
        return metadata;
    }

    /** A valid PNG signature and header declaring {@code width x height}, with no pixel data at all. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
