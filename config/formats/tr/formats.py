# Turkish date formats: CLDR's short and medium styles as Django's format strings spell
# them (common/dates.py renders CLDR's own patterns in the templates; where Django's
# abbreviated month names differ from CLDR's, these are the nearest spelling).
# The formats this module does not set are Django's own for the language.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j.m.Y H:i"
