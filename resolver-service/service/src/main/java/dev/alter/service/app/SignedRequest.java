package dev.alter.service.app;

/**
 * The parts of a received request an {@code Alter-Signature} covers: method, raw path, the {@code
 * Host} header as received, and the body's bytes.
 */
public record SignedRequest(String method, String path, String authority, byte[] body) {}
