"""django.contrib.staticfiles, minus the npm builds no page loads.

ECharts ships a dozen builds (46 MB with their source maps); the pages load echarts.min.js only. Leaving the rest
out makes collectstatic write a few dozen MB in seconds instead of 150 MB in half a minute."""

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "echarts.js",
        "echarts.js.map",
        "echarts.common.*",
        "echarts.esm.*",
        "echarts.simple.*",
        "extension",  # echarts/dist/extension: the bmap and dataTool add-ons
    ]
