"""Stories and listening: gather, signify, moderate, publish and learn from residents' stories."""
