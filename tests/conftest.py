import os
import tempfile

# Keep test caches out of the user's home and out of the book's build folder.
os.environ.setdefault("MTJLIB_CACHE_DIR", tempfile.mkdtemp(prefix="mtjlib-test-cache-"))
