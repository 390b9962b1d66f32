package dev.alter.agent.injection.aws;

/**
 * Hashes one HTTP client's own body object through that client's public API, without consuming
 * what the client will send: only bodies that declare themselves repeatable are read, and never
 * more than the limit.
 */
interface ClientBodyReader {
  /** @return lower-case hex SHA-256 of the body */
  String sha256Hex(Object body, long limit) throws BodyNotHashable;
}
