package org.imgfn.core.model;

import ai.djl.inference.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.image.Crop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model for many threads: callers queue preprocessed crops, and each worker thread, with a
 * predictor of its own, takes what has queued up (up to the batch size) and runs it as one forward
 * pass. A full queue refuses new work as {@code OVERLOADED} rather than letting it wait without bound.
 */
public final class InferenceQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceQueue.class);

    private record Job(Crop input, CompletableFuture<float[]> result) {}

    private final LoadedModel model;
    private final int maxBatch;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    public InferenceQueue(LoadedModel model, int workerCount, int maxBatch, int capacity) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::work, "inference-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues one crop; the future completes with its class probabilities. */
    public CompletableFuture<float[]> submit(Crop input) {
        if (closed) {
            throw new ClassifyException(ErrorCode.NOT_READY, "the classifier is shutting down");
        }
        if (workers.stream().noneMatch(Thread::isAlive)) {
            throw new ClassifyException(ErrorCode.NOT_READY, "no inference worker is running; see the log");
        }
        Job job = new Job(input, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw new ClassifyException(ErrorCode.OVERLOADED,
                    "too many images are waiting for the model (CLASSIFIER_QUEUE_CAPACITY); retry shortly");
        }
        return job.result();
    }

    public int workerCount() {
        return workers.size();
    }

    /** The worker threads, for tests that need one to die. */
    List<Thread> workers() {
        return List.copyOf(workers);
    }

    /** False once any worker thread has ended while the queue is open: its share of the work would wait forever. */
    public boolean workersAlive() {
        return closed || workers.stream().allMatch(Thread::isAlive);
    }

    private void work() {
        try (Predictor<List<Crop>, float[][]> predictor = model.newPredictor()) {
            List<Job> batch = new ArrayList<>(maxBatch);
            while (!closed) {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                run(predictor, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!closed) {
                LOG.error("Inference worker {} stopped while the queue is open", Thread.currentThread().getName());
            }
        }
    }

    private static void run(Predictor<List<Crop>, float[][]> predictor, List<Job> batch) {
        try {
            float[][] outputs = predictor.predict(batch.stream().map(Job::input).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs[i]);
            }
        } catch (Exception | Error e) {
            LOG.error("Inference failed for a batch of {}", batch.size(), e);
            batch.forEach(job -> job.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(job -> job.result().completeExceptionally(
                new ClassifyException(ErrorCode.NOT_READY, "the classifier shut down before this image ran")));
    }
}
