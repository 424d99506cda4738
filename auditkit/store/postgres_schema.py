"""The portfolio's PostgreSQL schema, as an ordered list of migrations of its own.

Everything lives in the ``auditkit`` schema, as plain tables other tools (psql, Metabase,
Grafana) can read; ``auditkit.schema_migrations`` names the migrations applied. Add a
migration at the end for every change; never edit one that has shipped. A database whose
applied migrations include a name this list lacks was written by a newer auditkit.

Tables, one row per…

* ``audits``: published audit: the profile as the union of every copy replays it, and its
  score (``percent`` unrounded, ``passed`` the pass rule of the audit's purpose);
* ``journal``: journal entry, by ``(audit_id, id)``, as first written (``prev`` and ``hash``
  before any merge re-chained it): the unit of exchange, so publishing twice adds nothing;
* ``subjects``, ``subject_aliases``, ``answers``, ``evidence``, ``recommendations``: the
  replay of that union, exactly the rows ``auditkit merge`` would write (an answer to a
  question asked once for the audit has a NULL ``subject_id``);
* ``evidence_blobs``: attached file, by SHA-256, shared by every audit that attaches it;
* ``actions``: action-plan item (the copy with the most entries), when the auditkit that
  published it keeps an action plan;
* ``base_rows``: what ``pull`` needs beyond the journal (the stored protocol, the file's
  meta rows…), from the copy ``merge`` would take them from: one JSON object per row.

The ``portfolio`` view has one row per audit: score, pass, dates, open and overdue actions,
and the next audit due in the three-year COR cycle (see :mod:`auditkit.portfolio.cycle`).
"""

from __future__ import annotations

SCHEMA = "auditkit"

_M17_PORTFOLIO = """
CREATE TABLE auditkit.audits (
    audit_id text PRIMARY KEY,
    company text NOT NULL,
    certificate text,
    protocol_id text,
    protocol_version text,
    protocol_sha256 text,
    purpose text,
    wcb_account text,
    industry_code text,
    workers integer,
    start_date date,
    end_date date,
    auditors jsonb NOT NULL DEFAULT '[]',
    auditor text,
    finalized_at text,
    answered integer NOT NULL DEFAULT 0,
    questions integer NOT NULL DEFAULT 0,
    percent double precision,
    passed boolean NOT NULL DEFAULT false,
    profile jsonb NOT NULL,
    entries integer NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    base_entries integer NOT NULL,
    base_head text NOT NULL,
    base_schema jsonb NOT NULL
);
COMMENT ON TABLE auditkit.audits IS
    'One row per published audit: the profile as the union of every published copy replays it';
COMMENT ON COLUMN auditkit.audits.percent IS
    'Overall score, unrounded (NULL when nothing is scored yet)';
COMMENT ON COLUMN auditkit.audits.base_entries IS
    'Journal length of the copy base_rows and actions come from (the copy merge would take)';

CREATE TABLE auditkit.journal (
    audit_id text NOT NULL,
    id text NOT NULL,
    at text NOT NULL,
    author text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    key text NOT NULL,
    before text,
    after text,
    prev text NOT NULL,
    hash text NOT NULL,
    supersedes text,
    reason text,
    PRIMARY KEY (audit_id, id)
);
COMMENT ON TABLE auditkit.journal IS
    'Every journal entry of every published copy, as first written; before/after are JSON text';
COMMENT ON COLUMN auditkit.journal.audit_id IS
    'An audits.audit_id; not a foreign key, so a publish does not check 45,500 rows one by one';

CREATE TABLE auditkit.subjects (
    audit_id text NOT NULL REFERENCES auditkit.audits ON DELETE CASCADE,
    id text NOT NULL,
    kind text NOT NULL,
    label text NOT NULL,
    role text,
    site_id text,
    fields jsonb,
    author text,
    created_at text,
    PRIMARY KEY (audit_id, id)
);

CREATE TABLE auditkit.subject_aliases (
    audit_id text NOT NULL,
    alias text NOT NULL,
    subject_id text NOT NULL,
    PRIMARY KEY (audit_id, alias),
    FOREIGN KEY (audit_id, subject_id) REFERENCES auditkit.subjects ON DELETE CASCADE
);

CREATE TABLE auditkit.answers (
    audit_id text NOT NULL,
    id text NOT NULL,
    question_id text NOT NULL,
    subject_id text,
    value text,
    note text,
    author text,
    updated_at text,
    PRIMARY KEY (audit_id, id),
    FOREIGN KEY (audit_id, subject_id) REFERENCES auditkit.subjects ON DELETE CASCADE
);
COMMENT ON COLUMN auditkit.answers.subject_id IS
    'NULL for a question answered once for the audit';
COMMENT ON COLUMN auditkit.answers.audit_id IS
    'An audits.audit_id, checked through the subject (one foreign key per row, not two)';

CREATE TABLE auditkit.evidence_blobs (
    sha256 text PRIMARY KEY,
    size bigint NOT NULL,
    mime text,
    data bytea NOT NULL
);

CREATE TABLE auditkit.evidence (
    audit_id text NOT NULL REFERENCES auditkit.audits ON DELETE CASCADE,
    id text NOT NULL,
    question_id text NOT NULL,
    subject_id text,
    sha256 text NOT NULL REFERENCES auditkit.evidence_blobs,
    filename text,
    caption text,
    author text,
    added_at text,
    PRIMARY KEY (audit_id, id),
    FOREIGN KEY (audit_id, subject_id) REFERENCES auditkit.subjects ON DELETE CASCADE
);

CREATE TABLE auditkit.recommendations (
    audit_id text NOT NULL REFERENCES auditkit.audits ON DELETE CASCADE,
    id text NOT NULL,
    course_id text,
    status text,
    text text,
    author text,
    created_at text,
    updated_at text,
    PRIMARY KEY (audit_id, id)
);

CREATE TABLE auditkit.actions (
    audit_id text NOT NULL REFERENCES auditkit.audits ON DELETE CASCADE,
    id text NOT NULL,
    item text,
    element text,
    priority text,
    text text,
    owner text,
    due date,
    status text,
    PRIMARY KEY (audit_id, id)
);

CREATE TABLE auditkit.base_rows (
    audit_id text NOT NULL REFERENCES auditkit.audits ON DELETE CASCADE,
    table_name text NOT NULL,
    position integer NOT NULL,
    row jsonb NOT NULL,
    PRIMARY KEY (audit_id, table_name, position)
);
COMMENT ON TABLE auditkit.base_rows IS
    'For pull: rows of the audit-file tables the journal does not rebuild (protocol copy, meta)';

CREATE VIEW auditkit.portfolio AS
WITH dated AS (
    SELECT a.*,
           coalesce(a.end_date, a.start_date) AS on_site,
           coalesce(nullif(a.wcb_account, ''), lower(a.company)) AS employer
    FROM auditkit.audits a
)
SELECT
    d.audit_id,
    d.company,
    d.protocol_id AS protocol,
    d.purpose,
    d.start_date,
    d.end_date,
    coalesce(d.auditor, '') AS auditor,
    d.finalized_at IS NOT NULL AS finalized,
    d.percent,
    d.passed,
    d.answered,
    d.questions,
    (SELECT count(*) FROM auditkit.actions x
      WHERE x.audit_id = d.audit_id AND x.status IS DISTINCT FROM 'done')::integer
        AS open_actions,
    (SELECT count(*) FROM auditkit.actions x
      WHERE x.audit_id = d.audit_id AND x.status IS DISTINCT FROM 'done'
        AND x.due < current_date)::integer AS overdue_actions,
    CASE
        WHEN d.on_site IS NULL THEN NULL
        WHEN anchor.on_site IS NULL THEN (d.on_site + interval '1 year')::date
        ELSE (anchor.on_site + make_interval(years => least(3, 1 + (
            SELECT count(*) FROM dated m
             WHERE m.employer = d.employer AND m.purpose = 'maintenance'
               AND m.on_site > anchor.on_site AND m.on_site <= d.on_site)::integer)))::date
    END AS next_audit_due
FROM dated d
LEFT JOIN LATERAL (
    SELECT c.on_site FROM dated c
     WHERE c.employer = d.employer AND c.purpose IN ('certification', 'recertification')
       AND c.on_site <= d.on_site
     ORDER BY c.on_site DESC
     LIMIT 1
) anchor ON true;
COMMENT ON VIEW auditkit.portfolio IS
    'One row per audit: score, pass, dates, actions, and the next audit due in the COR cycle';
"""

# (name, SQL), applied in order; named m<issue>_<what> like the audit file's migrations.
MIGRATIONS: tuple[tuple[str, str], ...] = (("m17_portfolio", _M17_PORTFOLIO),)
