import Testing
@testable import Cedar

@Suite struct ExtensionIPAddrParsing {
    private func error(_ text: String) throws -> EvaluationError {
        try #require(ExtensionTesting.constructionError("ip", text), "`\(text)` parsed")
    }

    private func message(_ text: String) throws -> String {
        let error = try error(text)
        #expect(error.code == .extensionError)
        return error.message
    }

    @Test func anIPv4AddressWithoutPrefixIsASingleHost() throws {
        #expect(try IPAddr(parsing: "127.0.0.1") == IPAddr(isV6: false, address: 0x7F00_0001, prefixLength: 32))
        #expect(try IPAddr(parsing: "0.0.0.0") == IPAddr(isV6: false, address: 0, prefixLength: 32))
        #expect(try IPAddr(parsing: "255.255.255.255") == IPAddr(isV6: false, address: 0xFFFF_FFFF, prefixLength: 32))
    }

    @Test func anIPv6AddressWithoutPrefixIsASingleHost() throws {
        #expect(try IPAddr(parsing: "::1") == IPAddr(isV6: true, address: 1, prefixLength: 128))
        #expect(try IPAddr(parsing: "::") == IPAddr(isV6: true, address: 0, prefixLength: 128))
        #expect(try IPAddr(parsing: "ffee::11") == IPAddr(isV6: true, address: 0xFFEE << 112 | 0x11, prefixLength: 128))
    }

    @Test func ipv6AcceptsEveryPlacementOfTheDoubleColon() throws {
        #expect(try IPAddr(parsing: "1:2:3:4:5:6:7:8").address == 0x0001_0002_0003_0004_0005_0006_0007_0008)
        #expect(try IPAddr(parsing: "1:2:3:4:5:6:7::").address == 0x0001_0002_0003_0004_0005_0006_0007_0000)
        #expect(try IPAddr(parsing: "::1:2:3:4:5:6:7").address == 0x0000_0001_0002_0003_0004_0005_0006_0007)
        #expect(try IPAddr(parsing: "1::8").address == 0x0001_0000_0000_0000_0000_0000_0000_0008)
        #expect(try IPAddr(parsing: "1::").address == 0x0001 << 112)
    }

    @Test func ipv6GroupsAcceptLeadingZerosAndEitherCase() throws {
        #expect(try IPAddr(parsing: "0001::") == IPAddr(parsing: "1::"))
        #expect(try IPAddr(parsing: "ABCD::EF") == IPAddr(parsing: "abcd::ef"))
    }

    @Test func prefixesSpanZeroToTheFamilyWidth() throws {
        #expect(try IPAddr(parsing: "127.0.0.1/0").prefixLength == 0)
        #expect(try IPAddr(parsing: "127.0.0.1/32").prefixLength == 32)
        #expect(try IPAddr(parsing: "ffee::/0").prefixLength == 0)
        #expect(try IPAddr(parsing: "ffee::/128").prefixLength == 128)
    }

    @Test func theAddressIsKeptUnmasked() throws {
        #expect(try IPAddr(parsing: "10.0.0.1/24") == IPAddr(isV6: false, address: 0x0A00_0001, prefixLength: 24))
    }

    @Test func malformedAddressesWithoutPrefixAreInvalid() throws {
        for text in [
            "380.0.0.1", "?", "ab.ab.ab.ab", "foo::1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04",
            "1.2.3.4 ", " 1.2.3.4", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
            "1:2:3:4::5:6:7:8", "00001::", "fe80::1%eth0", "[::1]", "1.2.3.4:80", "", "::ffff:1.2", "1:1.2.3.4", "1:::2",
            "g::", ":1::", "1::2:",
        ] {
            #expect(try message(text) == "error while evaluating `ipaddr` extension function: invalid IP address: \(text)")
        }
    }

    @Test func ipv4EmbeddedInIPv6IsRejected() throws {
        for text in ["::ffff:127.0.0.1", "::127.0.0.1", "1:2:3:4:5:6:1.2.3.4"] {
            #expect(try message(text)
                == "error while evaluating `ipaddr` extension function: error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `\(text)`")
        }
    }

    @Test func twoColonsAndTwoDotsAnywhereCountAsEmbeddedIPv4() throws {
        #expect(try message("::/1.2.3").contains("We do not accept IPv4 embedded in IPv6"))
    }

    @Test func theHexadecimalFormOfAMappedAddressIsAccepted() throws {
        #expect(try IPAddr(parsing: "::ffff:ff00:1") == IPAddr(isV6: true, address: 0xFFFF_FF00_0001, prefixLength: 128))
    }

    @Test func inputsLongerThanFortyThreeBytesAreRejectedFirst() throws {
        #expect(try IPAddr(parsing: "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128").prefixLength == 128)
        let long = "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/1280"
        #expect(try message(long)
            == "error while evaluating `ipaddr` extension function: error parsing IP address from string `\(long)`: string length is too large")
    }

    @Test func aMalformedAddressBeforeAPrefixIsReportedWithTheAddress() throws {
        #expect(try message("/") == "error while evaluating `ipaddr` extension function: error parsing IP address from the string ``: invalid IP address syntax")
        #expect(try message("fee::/64::1").hasSuffix("error parsing prefix: string length 5 is too large"))
    }

    @Test func prefixLengthIsCheckedBeforeItsCharacters() throws {
        #expect(try message("127.0.0.1/8/24").hasSuffix("error parsing prefix: string length 4 is too large"))
        #expect(try message("1.2.3.4/123").hasSuffix("error parsing prefix: string length 3 is too large"))
        #expect(try message("ffee::/1234").hasSuffix("error parsing prefix: string length 4 is too large"))
    }

    @Test func prefixesMustBeASCIIDigits() throws {
        #expect(try message("ffee::/+1").hasSuffix("error parsing prefix `+1`: encountered non-digit"))
        #expect(try message("1.2.3.4/-1").hasSuffix("error parsing prefix `-1`: encountered non-digit"))
        #expect(try message("1.2.3.4/ 8").hasSuffix("error parsing prefix ` 8`: encountered non-digit"))
        #expect(try message("1.2.3.4/٨").hasSuffix("error parsing prefix `٨`: encountered non-digit"))
    }

    @Test func prefixesRejectLeadingZeros() throws {
        #expect(try message("ffee::/01").hasSuffix("error parsing prefix `01`: leading zero(s)"))
        #expect(try message("1.2.3.4/00").hasSuffix("error parsing prefix `00`: leading zero(s)"))
    }

    @Test func anEmptyPrefixIsRejected() throws {
        #expect(try message("1.2.3.4/").hasSuffix("error parsing prefix from the string ``: cannot parse integer from empty string"))
    }

    @Test func prefixesBeyondTheFamilyWidthAreRejected() throws {
        #expect(try message("172.0.0.1/64").hasSuffix("error parsing prefix: 64 is larger than the limit 32"))
        #expect(try message("1.2.3.4/33").hasSuffix("error parsing prefix: 33 is larger than the limit 32"))
        #expect(try message("ffee::/132").hasSuffix("error parsing prefix: 132 is larger than the limit 128"))
        #expect(try message("::/255").hasSuffix("error parsing prefix: 255 is larger than the limit 128"))
        #expect(try message("::/999").hasSuffix("error parsing prefix from the string `999`: number too large to fit in target type"))
    }

    @Test func hostileStringsAreRejectedWithoutCrashing() throws {
        #expect(try message("\u{0}") == "error while evaluating `ipaddr` extension function: invalid IP address: \u{0}")
        #expect(try message("١.2.3.4").hasSuffix("invalid IP address: ١.2.3.4"))
        #expect(try message(String(repeating: "1", count: 100_000)).hasSuffix("string length is too large"))
        #expect(try message("é::1").hasSuffix("invalid IP address: é::1"))
    }
}

@Suite struct ExtensionIPAddrFormatting {
    private func text(_ address: String) throws -> String { try IPAddr(parsing: address).description }

    @Test func descriptionAlwaysIncludesThePrefix() throws {
        #expect(try text("127.0.0.1") == "127.0.0.1/32")
        #expect(try text("127.0.0.1/0") == "127.0.0.1/0")
        #expect(try text("ffee::/64") == "ffee::/64")
        #expect(try text("ffee::11") == "ffee::11/128")
    }

    @Test func descriptionCompressesTheLongestRunOfZeroGroups() throws {
        #expect(try text("::") == "::/128")
        #expect(try text("::1") == "::1/128")
        #expect(try text("1:0:0:1:0:0:0:1") == "1:0:0:1::1/128")
        #expect(try text("1:0:0:0:0:0:0:0") == "1::/128")
    }

    @Test func descriptionCompressesTheFirstOfTwoEqualRuns() throws {
        #expect(try text("1:0:0:1:1:0:0:1") == "1::1:1:0:0:1/128")
    }

    @Test func descriptionLeavesASingleZeroGroup() throws {
        #expect(try text("1:0:1:1:1:1:1:1") == "1:0:1:1:1:1:1:1/128")
    }

    @Test func descriptionIsLowercaseWithoutLeadingZeros() throws {
        #expect(try text("ABCD:00EF::0001") == "abcd:ef::1/128")
    }

    @Test func descriptionKeepsMappedAddressesHexadecimal() throws {
        #expect(try text("::ffff:a00:1") == "::ffff:a00:1/128")
    }

    @Test func descriptionKeepsTheUnmaskedAddress() throws {
        #expect(try text("10.0.0.1/24") == "10.0.0.1/24")
    }
}

@Suite struct ExtensionIPAddrMethods {
    private func ip(_ text: String) throws -> Value { try ExtensionTesting.value("ip", text) }

    private func test(_ name: String, _ address: String) throws -> Bool {
        try ExtensionTesting.call(name, ip(address)) == .bool(true)
    }

    private func inRange(_ address: String, _ range: String) throws -> Bool {
        try ExtensionTesting.call("isInRange", ip(address), ip(range)) == .bool(true)
    }

    @Test func isIpv4AndIsIpv6TellTheFamilies() throws {
        #expect(try test("isIpv4", "127.0.0.1"))
        #expect(try !test("isIpv6", "127.0.0.1"))
        #expect(try test("isIpv6", "::1"))
        #expect(try !test("isIpv4", "::1"))
        #expect(try test("isIpv6", "::ffff:ff00:1"))
        #expect(try !test("isIpv4", "::ffff:ff00:1"))
        #expect(try test("isIpv4", "127.0.0.1/24"))
        #expect(try test("isIpv6", "ffee::/64"))
    }

    @Test func isLoopbackNeedsTheLoopbackNetworkAndALongEnoughPrefix() throws {
        #expect(try test("isLoopback", "127.0.0.2"))
        #expect(try test("isLoopback", "127.0.0.1/8"))
        #expect(try !test("isLoopback", "127.0.0.1/7"))
        #expect(try !test("isLoopback", "127.255.200.200/0"))
        #expect(try test("isLoopback", "::1"))
        #expect(try !test("isLoopback", "::1/127"))
        #expect(try !test("isLoopback", "::2"))
        #expect(try !test("isLoopback", "::ffff:7f00:1"))
    }

    @Test func isMulticastNeedsTheMulticastNetworkAndALongEnoughPrefix() throws {
        #expect(try test("isMulticast", "228.228.228.0"))
        #expect(try test("isMulticast", "224.0.0.0/5"))
        #expect(try test("isMulticast", "239.255.255.255/4"))
        #expect(try !test("isMulticast", "224.0.0.0/3"))
        #expect(try !test("isMulticast", "127.0.0.1"))
        #expect(try !test("isMulticast", "223.255.255.255"))
        #expect(try !test("isMulticast", "240.0.0.0"))
        #expect(try test("isMulticast", "ff00::2"))
        #expect(try test("isMulticast", "ff00::/9"))
        #expect(try !test("isMulticast", "ff00::/7"))
        #expect(try !test("isMulticast", "feff::"))
    }

    @Test func isInRangeMatchesRustForIPv4() throws {
        #expect(try inRange("192.168.0.1/24", "192.168.0.1/24"))
        #expect(try inRange("192.168.0.1", "192.168.0.1/28"))
        #expect(try inRange("192.168.0.10", "192.168.0.1/24"))
        #expect(try inRange("192.168.0.10", "192.168.0.1/28"))
        #expect(try inRange("192.168.0.75", "192.168.0.1/24"))
        #expect(try !inRange("192.168.0.75", "192.168.0.1/28"))
        #expect(try inRange("192.168.0.1", "192.168.0.1"))
    }

    @Test func isInRangeMatchesRustForIPv6() throws {
        #expect(try inRange("1:2:3:4::", "1:2:3:4::/48"))
        #expect(try inRange("1:2:3:4::", "1:2:3:4::/52"))
        #expect(try inRange("1:2:3:6::", "1:2:3:4::/48"))
        #expect(try inRange("1:2:3:6::", "1:2:3:4::/52"))
        #expect(try inRange("1:2:3:ffff::", "1:2:3:4::/48"))
        #expect(try !inRange("1:2:3:ffff::", "1:2:3:4::/52"))
        #expect(try inRange("1:2:3:4::", "1:2:3:4::"))
    }

    @Test func isInRangeComparesNetworksNotWrittenAddresses() throws {
        #expect(try inRange("10.0.0.0", "10.0.0.1/24"))
        #expect(try !inRange("10.0.0.0", "10.0.0.1/32"))
        #expect(try inRange("10.0.0.1/24", "10.0.0.0/24"))
        #expect(try !inRange("10.0.0.0/24", "10.0.0.0/32"))
        #expect(try inRange("10.0.0.0/32", "10.0.0.0/24"))
        #expect(try !inRange("10.0.0.0/24", "10.0.0.1/29"))
        #expect(try inRange("10.0.0.0/29", "10.0.0.1/24"))
        #expect(try !inRange("10.0.0.1/24", "10.0.0.0/29"))
        #expect(try inRange("10.0.0.1/29", "10.0.0.0/24"))
    }

    @Test func zeroPrefixesCoverTheWholeFamily() throws {
        #expect(try inRange("1.2.3.4", "0.0.0.0/0"))
        #expect(try inRange("0.0.0.0/0", "1.2.3.4/0"))
        #expect(try inRange("::/0", "1::/0"))
        #expect(try inRange("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0"))
    }

    @Test func addressesOfDifferentFamiliesAreNeverInRange() throws {
        #expect(try !inRange("192.168.0.1", "1:2:3:4::/48"))
        #expect(try !inRange("10.0.0.1", "::ffff:a00:0/96"))
        #expect(try !inRange("::ffff:a00:1", "0.0.0.0/0"))
    }

    @Test func isInRangeRejectsAStringRange() throws {
        let error = try #require(ExtensionTesting.callError("isInRange", ip("1.2.3.4"), .string("1.2.3.4")))
        #expect(error.code == .typeError)
        #expect(error.message == "type error: expected ipaddr, got string")
    }

    @Test func predicatesRejectOtherTypes() throws {
        let error = try #require(ExtensionTesting.callError("isIpv4", ExtensionTesting.value("decimal", "1.0")))
        #expect(error.message == "type error: expected ipaddr, got decimal")
    }

    @Test func equalityComparesTheWrittenAddressAndPrefix() throws {
        #expect(try ip("10.0.0.0/32") == ip("10.0.0.0"))
        #expect(try ip("10.0.0.1/24") != ip("10.0.0.0/24"))
        #expect(try ip("10.0.0.1/24") != ip("10.0.0.1/29"))
        #expect(try ip("127.0.0.1") != ip("::1"))
        #expect(try ip("10.0.0.1") != ip("::ffff:a00:1"))
        #expect(try ip("::1") == ip("0:0:0:0:0:0:0:1"))
    }
}
