"""Generate: model provisioning, generator backends, prompts and the grounding guard."""
