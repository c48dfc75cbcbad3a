"""Print the Flesch-Kincaid grade of guidance documents (body only, front matter excluded).

Usage: python scripts/guidance_grade.py knowledge_base/guidance/*.md
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))

from careexplain.text.readability import fk_grade, markdown_to_prose

worst = 0.0
for name in sys.argv[1:]:
    raw = Path(name).read_text(encoding="utf-8")
    body = raw.split("---", 2)[2] if raw.startswith("---") else raw
    grade = fk_grade(markdown_to_prose(body))
    worst = max(worst, grade)
    print(f"{grade:5.1f}  {name}")
print(f"worst: {worst:.1f}")
