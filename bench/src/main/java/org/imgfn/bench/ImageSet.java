package org.imgfn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The images a load run asks for: one URL, or {@code N} variants of a built-in image server's synthetic
 * image ({@code ?variant=K}), each with its own bytes, taken in turn or at random. Each is downloaded
 * once before the run, which renders it on the image server and checks that the variants differ.
 */
final class ImageSet {
    /** How requests pick their image. */
    enum Order { ROTATE, RANDOM }

    record Image(String url, byte[] bytes) {}

    /** One client for every download: a client per download left hundreds of connections open on the image server. */
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final List<Image> images;
    private final Order order;
    private final AtomicLong next = new AtomicLong();

    private ImageSet(List<Image> images, Order order) {
        this.images = List.copyOf(images);
        this.order = order;
    }

    /**
     * @param keepBytes whether requests post the bytes ({@code post-bytes}), which are then kept
     */
    static ImageSet of(String url, int distinct, Order order, boolean keepBytes) {
        if (distinct < 1) {
            throw new IllegalArgumentException("--distinct-images must be at least 1, not " + distinct);
        }
        if (distinct == 1) {
            return new ImageSet(List.of(new Image(url, keepBytes ? download(url) : new byte[0])), order);
        }
        List<Image> images = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (int variant = 0; variant < distinct; variant++) {
            String variantUrl = url + (url.contains("?") ? "&" : "?") + "variant=" + variant;
            byte[] bytes = download(variantUrl);
            if (!seen.add(ByteBuffer.wrap(bytes))) {
                throw new IllegalArgumentException(variantUrl + " has the same bytes as an earlier variant:"
                        + " --distinct-images needs a /synthetic/SIZE.jpg URL of the built-in image server (bench images)");
            }
            images.add(new Image(variantUrl, keepBytes ? bytes : new byte[0]));
        }
        return new ImageSet(images, order);
    }

    int size() {
        return images.size();
    }

    Image next() {
        int index = order == Order.ROTATE ? (int) (next.getAndIncrement() % images.size())
                : ThreadLocalRandom.current().nextInt(images.size());
        return images.get(index);
    }

    /** One image, downloaded by the benchmark itself. */
    static byte[] download(String url) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException(url + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot download " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
