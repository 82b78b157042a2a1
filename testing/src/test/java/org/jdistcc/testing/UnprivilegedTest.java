package org.jdistcc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnprivilegedTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "Uid: {0} -> root {1}")
    @CsvSource({
        "0\t0\t0\t0, true",
        "1000\t0\t0\t0, true",
        "0\t1000\t1000\t1000, true",
        "1000\t1000\t0\t0, false",
        "65534\t65534\t65534\t65534, false"})
    void aProcessIsRootWhenItsRealOrEffectiveUidIsZero(String uids, boolean root) throws IOException {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nUid:\t" + uids + "\nGid:\t0\t0\t0\t0\n");

        assertThat(Unprivileged.isRoot(status)).isEqualTo(root);
    }

    @Test
    void theUserIsLookedUpByNameInThePasswdFile() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/bash
                nobodyelse:x:1000:1000::/home/x:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);

        Unprivileged nobody = Unprivileged.lookUp(passwd, "nobody");

        assertThat(nobody).isEqualTo(new Unprivileged(65534, 65534));
        assertThat(nobody.setpriv()).startsWith("/usr/bin/setpriv", "--reuid=65534", "--regid=65534")
                .contains("--clear-groups", "--no-new-privs", "--bounding-set=-all").endsWith("--");
    }

    @Test
    void aMissingUserOrOneWithUidZeroIsNeverTheUnprivilegedOne() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n"
                + "toor:x:0:0::/root:/bin/sh\n");

        assertThatThrownBy(() -> Unprivileged.lookUp(passwd, "nobody")).hasMessageContaining("no user nobody");
        assertThatThrownBy(() -> Unprivileged.lookUp(passwd, "toor")).hasMessageContaining("uid 0");
    }
}
