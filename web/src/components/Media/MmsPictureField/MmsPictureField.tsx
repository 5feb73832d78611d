import { useState } from 'react'

import type { MmsLimitsQuery, MmsLimitsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import { formatSize } from 'src/components/Media/MediaAttachment/MediaAttachment'

const MMS_LIMITS: TypedDocumentNode<MmsLimitsQuery, MmsLimitsQueryVariables> = gql`
  query MmsLimitsQuery {
    mediaLimits {
      mmsEnabled
      mmsTypes
      uploadMaxBytes
    }
  }
`

/**
 * "Attach a picture (MMS)" for an SMS: shown only when the api says MMS is
 * enabled (SINCH_MMS_ENABLED), with the types and size the api allows. The
 * api checks both again, and the type in the bytes, whatever the browser says.
 */
const MmsPictureField = ({ onChange }: { onChange: (picture: File | null) => void }) => {
  const { data } = useQuery(MMS_LIMITS)
  const [attach, setAttach] = useState(false)
  const [picture, setPicture] = useState<File | null>(null)
  const limits = data?.mediaLimits
  if (!limits?.mmsEnabled) return null
  const tooBig = !!picture && picture.size > limits.uploadMaxBytes
  const choose = (file: File | null) => {
    setPicture(file)
    // Passed on even when too large: the api refuses it with why, rather than an SMS going without it.
    onChange(file)
  }
  return (
    <div className="space-y-2 text-sm">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={attach}
          onChange={(e) => {
            setAttach(e.target.checked)
            if (!e.target.checked) choose(null)
          }}
        />
        Attach a picture (MMS)
      </label>
      {attach && (
        <div className="flex flex-wrap items-center gap-2 pl-6">
          <label htmlFor="mmsPicture">
            Picture
            <input
              id="mmsPicture"
              type="file"
              className="ml-2"
              accept={limits.mmsTypes.join(',')}
              onChange={(e) => choose(e.target.files?.[0] ?? null)}
            />
          </label>
          <span className="text-xs text-slate-600">
            JPEG, PNG or GIF, at most {formatSize(limits.uploadMaxBytes)}; the message text goes with it
          </span>
          {tooBig && (
            <span role="alert" className="text-xs text-rose-800">
              {picture!.name} is {formatSize(picture!.size)}: too large
            </span>
          )}
        </div>
      )}
    </div>
  )
}

export default MmsPictureField
