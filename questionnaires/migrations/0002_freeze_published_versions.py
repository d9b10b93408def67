"""Database-level immutability of published definitions.

Row triggers, so that every write path (ORM ``save``/``update``/``delete``, ``bulk_create``,
``bulk_update``, raw SQL, the admin) is refused once a version leaves the draft status. The only change
allowed on a published version is its retirement. SQLSTATE 23001 (restrict_violation) surfaces in
Django as ``IntegrityError``.
"""

from django.db import migrations

VERSION_TABLE = "questionnaires_questionnaireversion"
CHILD_TABLES = [
    "questionnaires_level",
    "questionnaires_qualificationquestion",
    "questionnaires_section",
    "questionnaires_item",
]

FORWARD = f"""
CREATE OR REPLACE FUNCTION questionnaires_version_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'La version % d''un questionnaire publié ne peut pas être supprimée.', OLD.number
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'published' AND NEW.status = 'retired'
        AND (NEW.public_id, NEW.questionnaire_id, NEW.number, NEW.published_at, NEW.checksum,
             NEW.source_path, NEW.profile_rules, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.public_id, OLD.questionnaire_id, OLD.number, OLD.published_at, OLD.checksum,
             OLD.source_path, OLD.profile_rules, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'La version % est publiée : elle ne peut plus être modifiée ; publiez une nouvelle version.', OLD.number
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER questionnaires_version_guard
    BEFORE UPDATE OR DELETE ON {VERSION_TABLE}
    FOR EACH ROW EXECUTE FUNCTION questionnaires_version_guard();

CREATE OR REPLACE FUNCTION questionnaires_child_guard() RETURNS trigger AS $$
DECLARE
    frozen boolean;
BEGIN
    SELECT bool_or(status <> 'draft') INTO frozen
        FROM {VERSION_TABLE}
        WHERE id = OLD.version_id OR id = NEW.version_id;
    IF frozen THEN
        RAISE EXCEPTION 'Cette définition appartient à une version publiée : elle ne peut plus être modifiée ; publiez une nouvelle version.'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION questionnaires_item_section_guard() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM questionnaires_section WHERE id = NEW.section_id AND version_id = NEW.version_id) THEN
        RAISE EXCEPTION 'L''exigence % doit appartenir à une section de la même version.', NEW.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER questionnaires_item_section_guard
    BEFORE INSERT OR UPDATE ON questionnaires_item
    FOR EACH ROW EXECUTE FUNCTION questionnaires_item_section_guard();
""" + "".join(
    f"""
CREATE TRIGGER questionnaires_child_guard
    BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION questionnaires_child_guard();
"""
    for table in CHILD_TABLES
)

BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS questionnaires_child_guard ON {table};\n" for table in CHILD_TABLES)
    + f"""
DROP TRIGGER IF EXISTS questionnaires_item_section_guard ON questionnaires_item;
DROP TRIGGER IF EXISTS questionnaires_version_guard ON {VERSION_TABLE};
DROP FUNCTION IF EXISTS questionnaires_item_section_guard();
DROP FUNCTION IF EXISTS questionnaires_child_guard();
DROP FUNCTION IF EXISTS questionnaires_version_guard();
"""
)


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
