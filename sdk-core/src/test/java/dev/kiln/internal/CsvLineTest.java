package dev.kiln.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvLineTest {
    @Test
    void quotedFieldsKeepTheirCommasAndDoubledQuotes() {
        assertThat(CsvLine.split("1,\"a,b\",\"say \"\"hi\"\"\",,x\r")).containsExactly("1", "a,b", "say \"hi\"", "", "x");
    }

    @Test
    void anEmptyLineIsOneEmptyFieldAndATrailingCommaAddsOne() {
        assertThat(CsvLine.split("")).containsExactly("");
        assertThat(CsvLine.split("a,")).containsExactly("a", "");
    }

    @Test
    void anUnterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> CsvLine.split("1,\"open")).isInstanceOf(IllegalArgumentException.class);
    }
}
