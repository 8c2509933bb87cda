"""Composition roots and the command line: wires shared, gateway, router and services together."""
