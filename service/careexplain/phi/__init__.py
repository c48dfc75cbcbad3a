"""Protected health information: finding it in notes and replacing it."""
