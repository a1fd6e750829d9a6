# Kazakh date formats: CLDR's short and medium styles as Django's format strings spell
# them (common/dates.py renders CLDR's own patterns in the templates; where Django's
# abbreviated month names differ from CLDR's, these are the nearest spelling).
# Django ships no Kazakh formats: the input and number formats are set here.
DATE_FORMAT = "Y\u202fж. d b."
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y\u202fж. d b., H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Дүйсенбі, Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    "%d.%m.%y",  # '25.10.06'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
