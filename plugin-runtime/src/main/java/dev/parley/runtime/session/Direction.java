package dev.parley.runtime.session;

public enum Direction {
    IN, OUT
}
