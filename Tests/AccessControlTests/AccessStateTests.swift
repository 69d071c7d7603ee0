import AccessControl
import Foundation
import Testing

/// The in-memory state: answers only while trusted, forgets exactly what an event names, and
/// never keeps a value fetched before a change it did not see.
@Suite struct AccessStateTests {
    let session = UUID(), user = UUID(), membership = UUID(), company = UUID()

    func filled(_ state: AccessState<String>, scope: String = "acme", value: String = "allowed") -> AccessState<String>.Key {
        let key = AccessState<String>.Key(session: session, scope: scope)
        #expect(state.store(value, for: key, subject: .init(session: session, user: user, membership: membership, company: company),
                            ticket: state.beginFill()))
        return key
    }

    func event(_ kind: AccessEvent.Kind, user: UUID? = nil, company: UUID? = nil, membership: UUID? = nil, session: UUID? = nil) -> AccessEvent {
        AccessEvent(cursor: AccessFeedCursor(tx: 1, id: 1), kind: kind.rawValue, userID: user, companyID: company,
                    membershipID: membership, sessionID: session)
    }

    @Test func answersOnlyWhileTheFeedVouches() {
        let state = AccessState<String>()
        let key = filled(state)
        #expect(state.lookup(key) == nil)  // never trusted yet
        let now = ContinuousClock.now
        state.trust(until: now + .milliseconds(500))
        #expect(state.lookup(key, now: now) == "allowed")
        #expect(state.lookup(key, now: now + .milliseconds(501)) == nil)
        state.trust(until: now)  // never moves backwards
        #expect(state.lookup(key, now: now + .milliseconds(100)) == "allowed")
    }

    @Test func eachKindOfEventDropsWhatItNames() {
        let other = UUID()
        let cases: [(AccessEvent, Bool)] = [
            (event(.sessionRevoked, user: user, session: session), true),
            (event(.sessionRevoked, user: user, session: other), false),
            (event(.userChanged, user: user), true),
            (event(.userChanged, user: other), false),
            (event(.membershipChanged, user: other, company: company, membership: membership), true),
            (event(.membershipChanged, user: user, company: company, membership: other), true),  // a new membership of the user
            (event(.membershipChanged, user: other, company: company, membership: other), false),
            (event(.delegationChanged, company: company, membership: membership), true),
            (event(.companyChanged, company: company), true),
            (event(.companyChanged, company: other), false),
            (event(.roleChanged, company: company), true),
            (event(.signingKeyRetired), false),
            (AccessEvent(cursor: AccessFeedCursor(tx: 1, id: 1), kind: "something_new"), true),
        ]
        for (event, drops) in cases {
            let state = AccessState<String>()
            state.trust(until: .now + .seconds(60))
            let key = filled(state)
            state.apply([event])
            #expect((state.lookup(key) == nil) == drops, "\(event.kind)")
        }
    }

    @Test func aRefusalNamingNoCompanyIsDroppedByAnyCompanyChange() {
        let state = AccessState<String>()
        state.trust(until: .now + .seconds(60))
        let key = AccessState<String>.Key(session: session, scope: "newco")
        state.store("not_a_member", for: key, subject: .init(session: session, user: user), ticket: state.beginFill())
        state.apply([event(.companyChanged, company: UUID())])
        #expect(state.lookup(key) == nil)
    }

    @Test func aFillThatRacedAChangeIsNotKept() {
        let state = AccessState<String>()
        state.trust(until: .now + .seconds(60))
        let ticket = state.beginFill()
        state.apply([event(.userChanged, user: UUID())])  // any change while Auth was being asked
        let key = AccessState<String>.Key(session: session, scope: "acme")
        #expect(!state.store("allowed", for: key, subject: .init(session: session, user: user), ticket: ticket))
        #expect(state.lookup(key) == nil)
    }

    @Test func entriesEndAtTheirValidityAndTheStateStaysBounded() {
        let state = AccessState<String>(capacity: 10, maximumAge: .seconds(60))
        state.trust(until: .now + .seconds(600))
        let key = AccessState<String>.Key(session: session, scope: "acme")
        #expect(!state.store("x", for: key, subject: .init(session: session, user: user), ticket: state.beginFill(),
                             validUntil: Date().addingTimeInterval(-1)))
        #expect(state.store("x", for: key, subject: .init(session: session, user: user), ticket: state.beginFill(),
                            validUntil: Date().addingTimeInterval(0.2)))
        #expect(state.lookup(key, now: .now + .seconds(1)) == nil)
        for _ in 0..<100 {
            let id = UUID()
            state.store("x", for: .init(session: id, scope: "a"), subject: .init(session: id, user: user), ticket: state.beginFill())
        }
        #expect(state.count <= 10)
        state.dropAll()
        #expect(state.count == 0)
    }
}
