"""Chat: the patient-facing question-answering flow."""
