"""The domain: money, canonical entries, reason codes and errors. Depends on nothing above it."""
