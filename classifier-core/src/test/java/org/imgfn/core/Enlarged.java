package org.imgfn.core;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Large test images made from small ones: a bilinear enlargement saved as a high-quality JPEG. */
final class Enlarged {
    private Enlarged() {}

    static byte[] jpeg(byte[] image, int factor) {
        try {
            BufferedImage small = ImageIO.read(new ByteArrayInputStream(image));
            BufferedImage large = new BufferedImage(small.getWidth() * factor, small.getHeight() * factor,
                    BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = large.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(small, 0, 0, large.getWidth(), large.getHeight(), null);
            g.dispose();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.95f);
                writer.write(null, new IIOImage(large, null, null), param);
                stream.flush();
                return out.toByteArray();
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
