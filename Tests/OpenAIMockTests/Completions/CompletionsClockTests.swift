import Testing
@testable import OpenAIMock

/// The virtual clock behind `created`.
@Suite struct CompletionsClockTests {
    @Test func fixedByDefaultAndSteppable() {
        let clock = VirtualClock()
        #expect(clock.now() == 1_717_200_000)
        clock.advance(by: 90)
        #expect(clock.now() == 1_717_200_090)
        #expect(VirtualClock(.real).now() > 1_700_000_000)
    }

    @Test func parsesTheCLIForms() {
        #expect(VirtualClock.parse("real") == .real)
        #expect(VirtualClock.parse("fixed") == .fixed(VirtualClock.defaultEpoch))
        #expect(VirtualClock.parse("fixed:2024-01-01T00:00:00Z") == .fixed(1_704_067_200))
        #expect(VirtualClock.parse("fixed:2024-06-01T00:00:00Z") == .fixed(1_717_200_000))
        #expect(VirtualClock.parse("fixed:1000") == .fixed(1000))
        #expect(VirtualClock.parse("fixed:2024-13-01T00:00:00Z") == nil)
        #expect(VirtualClock.parse("tomorrow") == nil)
    }
}
