/// Fixed RSA keys for the tests (generated once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`);
/// test-only, never used anywhere else. Fixed because jwt-kit cannot generate RSA keys.
enum RSAFixtures {
    /// The issuer key the matrix signs RS*/PS* tokens with.
    static let issuerKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCsbeIaay5kblz9
        rDx98H2uRkqYvdxTVeCOLTb5l2w8LmJcWNIsHFKeGwSvYwpgsvkCirhKuSMVS6oM
        Mf3pJcNdbNDrgztbT/HWhOWucHIbqZLW4IS2ef80JNbmVor2ifSjyk7+jvBkoTDT
        /90LCv09Ax2oOPu0AE5CWRFn980SOsjsY6g2mcQI2T9QhtUXMMmRURGbTSer8JVM
        Vdw4rGKlUQ4s02FrF3lNKGKl1Vm1dv3pVLZIHKWGpZge7uKv04KTGxfARulBdTtm
        3Q3QUWLXAA5XwBL+9AtBn6JkYE/Zm9Vcuc57/WEWLh+OqoASbR8osgtk4F2IRBAa
        ZbMzehDzAgMBAAECggEABDRAdvA8Q9YBbdMlI6ImKYZTBRfDLcPIw1hGRsSfe3Vb
        QzDyz7RRevbIR1xzVGzYr5961qH39IN3qtXaZ05bGpKJVeZJUrS6yt+xPlUSIZGI
        LOjX44XkjolqNSVQ1kNooK7q/FlQ2PgP82m070yxZJG7lEfumL9vKQsrgCzyP5D/
        T7KsHt+/6YZJNEVjjuonSqecYgBtbt9BUXXRIRTqFDsgkMewlbWNIw31IfVTYAAH
        /jDq9mqJe0f6PzSqbCm/lxDxgt/StXQOSnOiQC0ua4pNu/hOMWNS0zFPgfG7RQhs
        6TRUG+VkjJRyFHcEWvi1QEKBPPEIQH2s+7h6JtfmYQKBgQDTFNHhhPeDhoAmH6YP
        aMto2rInRZhzbs0KFM7nJnRVBa0H9Kii+7gdBsxtb+vVPKYV/jYd047ZSGuLgIsC
        c1WV5x8TnCgk9PYMRosIHIE8F7Gyp76+AkkUL5YfpkSyLf6JCzzXD1eW81Gqk8Xj
        LKTB8CoyTw26Fd5+Xmt8i7xyoQKBgQDRH2TyQ352lZLVZZabLUfZm1IOdc90H2v1
        3c3Fnfq7I9x7ouf9afOclRJHed0xJHbebi+RuJRJZXwdklceYJNupeg3wgzLPVzT
        8wqBB9aXpN4aV4v3xxdD44Gi52+Ucq0vF1dtVdE/VZnAeC2NqdZ9t3TQuxm5jVsQ
        SPPn2DIvEwKBgQCu/TSd7HixfgChGl21qp/vFlbZPdYL5FBxShzY/kU08xamYMqp
        C1twHOG+3Ck7xyK9WtkMUwW61lHp/a/AYVMTid52iF+ze6y7MoQyPkdZRR9Yx73W
        kdh5tpWTOWj7+ito+3r9o0du6drLOeS0157i9LJWsLjlixm/05DyWHnq4QKBgQCF
        axYoSk9gsMThSNLxZc41UxbjCt60I2fpkP07WzMgOhzs9F42G2bFO4ZR+7nXJICC
        IKJQwgY5XXn2E+tpAgyNx2OET1WCRT/4KVNGRw3t6c2Z2Mj/6BE7yuZmXGmfuBot
        tSKeKuY5Fg/l78aAXx7tTiJFGVmsPDchCKoz/Ibn6QKBgH4ANhBlRo0I03Nt3Ocl
        ZRKrM97v65Ots/pUQ2KS7BWfrTz8X+Z5N06HI0qSp4j1En9hhZOmrC0OfMsCqNq7
        +caR5RU63afeqKGT24jipaARecvUKkB3yN54sXba+YJR4X3TXr1H7zE4ZM5078+1
        uxbdulAZ+dGZiXGoBs0ie6Ur
        -----END PRIVATE KEY-----
        """

    /// A second key, for "signed with the wrong key" cases.
    static let attackerKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDW8m4qdHFccemJ
        0SRnfnODxHcJn8LeiUIW2kJ1wdvjZSIeKFmboA33ZZtdwPFDpzxxuvzeTQM1631S
        n+S/EQGfjBIgexFfyodZM1DXJ4gacJLi7QM0gZbPqsn//iSpZi5BxzMbYRuO80cx
        i0WiMF+fndxYJXOAtpLNmSlBkhPfllDm5zPmXy3CGmVscYnlDo0Vu5VFHUlTIQxz
        cmf8EeAUVQojkErIroB3x39BtXBzhlXoq+r4wL5Itog2CgVu2OLcfaEWr3eXb9U9
        6U9c9mSVA6lHK2clWsWvzMD1+5N0/Fnaj+lt3Y1ENF2TF5FEwruyF/Sesl8o+AbP
        n6aWM6YtAgMBAAECggEAKqj84mIv6YgWMKsYjY3UQU+pzHgvxdj6C+0Pia2LBauZ
        xOB/QFrYysQYvNfBSosTfQL+kuQ4AeiV++MOFDm817yGEHo8bYWVrUd5AOqwoYa8
        MFuX6kDZ/KdJ5gu7nP9RqO5vHzz7qjhwZc3daR4urFA5Xik4rlAN/M4sGP50AUjH
        1Bku1Mo3Yo1g1HmN6XQHfdGA/2ibbUzOQghaWTQiDjAn909sT6jwf0UQLk5DYwdD
        7T0co4rZZsUywn8Cs//qc7mLAJE8VTTEqXbofJ0byOIfeuqLrFatYopz703A6ir/
        aIMmVFjTuT59cqexcP7LUfRx/2x6JYJnoVbsG0eMIQKBgQD2wvC6kumct9Yf4khC
        QX17iO4vlOyS57pHUg4wyerp31OmYgQCtQ2dGdWaZkHK8/tSjsOnw4v47AawKeBA
        qv6HNpziz94Ca3AuS653//g62YoOpQ1bloeYLiSCIO8wLaGkyNdI9VzUT8HJ6mNl
        1Jw++DZNkjMEWFoIYyCdc+T82QKBgQDe/pE7i7BfP/uUXipBnb32r/5KSwOvHpRD
        X0I8y1NRuH6pJQL9SNfHAGL+8qrcFuwBZI3n/WsnEc5NAJM9LXPs7Pzuzz9DkLU8
        +a2RIO6lX3wJlAtgEs22MRBVJ/Qx1v5AP4yF8x3mM6QuRpFo7gyyrbkHyXjPJ10A
        iOffEfpvdQKBgC5vvveNYBMS8WOspKZ7Ro7x1Mj1gJOgsghr46nAxclfMpG0Dkco
        JTi0PONCbQ0xXtFJdn5iqTudxyBtsPracu2lFF8GeSQBben4agvBCsigWX+qBdp/
        eGLmBA7M/dYWMD4fYYwkSGTX4YMK7cui+AhNk4KDicA+lCrR5Lhcr/H5AoGBAJwS
        ljmT6kywLnfIdFDag7NduF/tItX1VBXXXTfJozYmJ9hgxDfcPNHWbnM8CuPh0yqi
        Y0PEtbNxne99AJCn+GQR9nF6ci/q3z6fDaDu6LisHNdjW5bRclMbAfBn91zOucLj
        94llAD83U6jj0TActJx2RHOzyi9KwKf4KjmRjrNlAoGBALLPuqnlVa754hoogjpb
        NOo+WdTch6btyYRz+eK8p78TkFh0lNTd73GGyJeO3xDDTlHTooY9/apeIRImqGvd
        a8tBTZ5VYWZtTxlm+8qzpyJrtKXW1WwUvYmAxxABEMY3eey0rGf4FNQJMKJSfXju
        IiEA+Pye1w8v2btE+9HA18LT
        -----END PRIVATE KEY-----
        """
}
