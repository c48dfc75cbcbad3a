"""Patient profiles: what a note says about the patient now, plus their preferences."""
