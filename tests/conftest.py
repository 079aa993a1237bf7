import sys
from pathlib import Path

# spec_tools and other helpers live beside the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
