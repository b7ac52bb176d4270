"""The test suite: unit (pure), integration (real databases), e2e, performance."""
