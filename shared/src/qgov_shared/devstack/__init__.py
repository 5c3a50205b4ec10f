"""The embedded development stack: `qgov up`, `qgov status`, `qgov down`, `qgov migrate`."""
