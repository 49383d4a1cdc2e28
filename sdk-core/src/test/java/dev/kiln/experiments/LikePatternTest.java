package dev.kiln.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikePatternTest {

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        // whole-string match
        "abc|abc|true", "abc|abcd|false", "abc|xabc|false", "abc|ABC|false", "''|''|true", "''|a|false",
        // percent: any run, also empty
        "a%|a|true", "a%|abc|true", "a%|ba|false", "%c|abc|true", "%c|ca|false", "%b%|abc|true", "%b%|b|true",
        "%b%|ac|false", "%|''|true", "%|anything|true", "%%|x|true", "a%c|abc|true", "a%c|ac|true", "a%c|acb|false",
        "a%b%c|a1b2c|true", "a%b%c|acb|false", "%a%b%|xaybz|true", "%a%b%|ba|false",
        // underscore: exactly one
        "a_c|abc|true", "a_c|ac|false", "a_c|abbc|false", "___|abc|true", "___|ab|false", "_%|a|true", "_%|''|false",
        // escapes make wildcards literal
        "a\\%|a%|true", "a\\%|ab|false", "a\\_c|a_c|true", "a\\_c|abc|false", "100\\%|100%|true", "a\\\\b|a\\b|true",
        // regex metacharacters are literal
        "a.c|abc|false", "a.c|a.c|true", "(x)+|(x)+|true", "[ab]|a|false", "a$|a$|true", "^a|^a|true",
        // line breaks are characters too
        "a%|'a\nb'|true",
    })
    void like(String pattern, String value, boolean expected) {
        assertThat(LikePattern.compile(unquote(pattern), false).matches(unquote(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{1}'' ILIKE ''{0}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        "abc|ABC|true", "ABC|abc|true", "a%|ABC|true", "%C|abc|true", "%B%|abc|true", "a_C|AbC|true",
        "abc|abd|false", "straße|STRASSE|false", "ÉTÉ|été|true", "%é%|CAFÉ|true", "café|CAFÉ|true", "%cafe%|CAFÉ|false",
    })
    void ilike(String pattern, String value, boolean expected) {
        assertThat(LikePattern.compile(pattern, true).matches(value)).isEqualTo(expected);
    }

    private static String unquote(String s) {
        if (s.equals("''")) {
            return "";
        }
        if (s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("\\n", "\n");
        }
        return s;
    }
}
