/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luo-abi-diff fallback: the length the LUO ABI header takes from the LUO
 * uAPI header, for header sets that do not carry that header.
 */
#ifndef LUOC_FALLBACK_UAPI_LIVEUPDATE_H
#define LUOC_FALLBACK_UAPI_LIVEUPDATE_H
#define LIVEUPDATE_SESSION_NAME_LENGTH	64
#endif
