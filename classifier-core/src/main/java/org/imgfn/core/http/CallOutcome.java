package org.imgfn.core.http;

import org.imgfn.core.api.Timings;

/**
 * What became of one call, for logs and metrics: its status, the error code of a refusal (null for an
 * answer), the timings of a classification (null for a refusal), and the seconds it took.
 */
public record CallOutcome(int status, String errorCode, Timings timings, double seconds) {}
