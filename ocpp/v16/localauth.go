package v16

// GetLocalListVersionRequest is GetLocalListVersion.req (CSMS → Charger); its payload is empty.
type GetLocalListVersionRequest struct{}

// GetLocalListVersionResponse is GetLocalListVersion.conf. ListVersion 0 means no list,
// -1 means local authorization lists are not supported.
type GetLocalListVersionResponse struct {
	ListVersion int `json:"listVersion" ocpp:"required"`
}

// AuthorizationData is the 1.6 AuthorizationData class: one entry of a local
// authorization list. A nil IDTagInfo in a Differential update removes the entry.
type AuthorizationData struct {
	IDTag     string     `json:"idTag" ocpp:"required,max=20"`
	IDTagInfo *IdTagInfo `json:"idTagInfo,omitempty"`
}

// SendLocalListRequest is SendLocalList.req (CSMS → Charger).
type SendLocalListRequest struct {
	ListVersion            int                 `json:"listVersion" ocpp:"required"`
	LocalAuthorizationList []AuthorizationData `json:"localAuthorizationList,omitempty"`
	UpdateType             UpdateType          `json:"updateType" ocpp:"required"`
}

// SendLocalListResponse is SendLocalList.conf.
type SendLocalListResponse struct {
	Status UpdateStatus `json:"status" ocpp:"required"`
}
