"""The bounded text types every input uses: nothing reaches a column it would not fit."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[Text, Field(max_length=200)]
Reasons = Annotated[Text, Field(max_length=2000, description="why: every step carries its reasons")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,60}$")]
"""A programme's code (`china_quality_award`)."""
RoundCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,20}$")]
StageName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
