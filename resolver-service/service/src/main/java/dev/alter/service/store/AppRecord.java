package dev.alter.service.store;

public record AppRecord(String appId, String name, long createdAt) {}
