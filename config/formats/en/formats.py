# English date formats: CLDR's short and medium styles as Django's format strings spell
# them (common/dates.py renders CLDR's own patterns in the templates; where Django's
# abbreviated month names differ from CLDR's, these are the nearest spelling).
# The formats this module does not set are Django's own for the language.
DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = "n/j/Y"
TIME_FORMAT = "g:i\u202fA"
DATETIME_FORMAT = "M j, Y, g:i\u202fA"
SHORT_DATETIME_FORMAT = "n/j/Y, g:i\u202fA"
