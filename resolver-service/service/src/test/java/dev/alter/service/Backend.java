package dev.alter.service;

/** The stores every API test runs on. */
public enum Backend {
  H2,
  POSTGRESQL
}
