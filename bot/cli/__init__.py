"""The operator's command line (``iku-bot ...``), ``iku-bot doctor`` and the offline console."""
