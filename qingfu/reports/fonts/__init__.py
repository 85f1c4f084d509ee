"""The CJK font reports are set in, vendored so a fresh machine needs no system fonts.

WenQuanYi Micro Hei (文泉驿微米黑) 0.2.0-beta, the first face of Debian's
``wqy-microhei.ttc`` saved as a TrueType font: TrueType (glyf) outlines, which reportlab can
embed and subset (it cannot embed CFF-outlined OpenType such as Noto Sans CJK), with Latin
and digits from Droid Sans in the same face. Licensed Apache-2.0 (dual-licensed upstream
with GPL-3+ and the font exception; we use it under Apache-2.0): see
``LICENSE-Apache-2.0.txt`` and ``COPYRIGHT-WenQuanYiMicroHei.txt`` beside it.
"""

from pathlib import Path

FONT_PATH = Path(__file__).with_name("WenQuanYiMicroHei.ttf")
FONT_NAME = "WenQuanYi Micro Hei"
