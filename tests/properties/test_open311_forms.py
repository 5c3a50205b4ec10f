"""GeoReport v2 forms posted by anyone: whatever the pairs, reading one gives a complaint or a
400 problem naming form fields, never another exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_complaints.open311.attributes import ATTRIBUTES_BY_CODE
from qgov_complaints.open311.forms import filing_from_form
from qgov_complaints.policy import load_policy
from qgov_shared.http.problems import ProblemException

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
POLICY = load_policy()
_STANDARD = [
    "service_code",
    "description",
    "last_name",
    "first_name",
    "phone",
    "address_string",
    "lat",
    "long",
    "account_id",
    "email",
    "attribute[",
    "x",
]
_names = st.one_of(
    st.sampled_from(_STANDARD),
    st.sampled_from([f"attribute[{code}]" for code in ATTRIBUTES_BY_CODE]),
    st.text(max_size=20),
)
_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(sorted(POLICY.categories)),
    st.sampled_from(
        [
            "91440203MA0000001T",
            "440203",
            "2026-03-01",
            "2026-03-01T23:30:00Z",
            "13800138000",
            "1e308",
            "nan",
            "-91",
            "23.1",
            "x" * 400,
        ]
    ),
)


@PROPERTIES
@given(st.lists(st.tuples(_names, _values), max_size=12))
def test_any_form_is_a_filing_or_a_problem_naming_form_fields(pairs) -> None:
    try:
        filing, refused_with = filing_from_form(pairs, POLICY), None
    except ProblemException as problem:
        filing, refused_with = None, problem.status
    if filing is None:
        assert refused_with in {400, 404}
    else:
        assert filing.complaint.category in POLICY.categories
        assert filing.place.lat is None or -90 <= filing.place.lat <= 90
