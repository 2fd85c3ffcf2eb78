"""Local sentence embeddings: the packaged MiniLM run through onnxruntime, with torch as the fallback."""
