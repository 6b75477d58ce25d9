"""Lancashire Community Safety Agreement performance dashboard: the domain package.

Everything here is pure Python over plain values and DataFrames. It never imports
streamlit, so the CLI, the tests, the board pack and the pages share one code path.
"""

__version__ = "0.1.0"
