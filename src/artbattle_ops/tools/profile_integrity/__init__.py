"""Domain profile-integrity (tools.md §4): importing this package registers its handlers."""

from artbattle_ops.tools.profile_integrity import artist_bio as artist_bio
from artbattle_ops.tools.profile_integrity import artist_country as artist_country
from artbattle_ops.tools.profile_integrity import artist_name as artist_name
from artbattle_ops.tools.profile_integrity import duplicates as duplicates
from artbattle_ops.tools.profile_integrity import invitations as invitations
from artbattle_ops.tools.profile_integrity import qr_scans as qr_scans
from artbattle_ops.tools.profile_integrity import readiness as readiness
from artbattle_ops.tools.profile_integrity import refresh_weights as refresh_weights
from artbattle_ops.tools.profile_integrity import send_invitation as send_invitation
from artbattle_ops.tools.profile_integrity import vote_weights as vote_weights
